package co.soukosync.api;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Tomcat's own error answers take our JSON shape (see {@link JsonErrorReportValve}). */
@Configuration(proxyBeanMethods = false)
class TomcatErrorsConfig {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonTomcatErrors(ApiErrorWriter errors) {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                // the valve itself, with the writer: given only its class name, the host would make
                // one of its own when it starts; given that name, it sees this one and makes none
                host.getPipeline().addValve(new JsonErrorReportValve(errors));
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            }
        });
    }
}
