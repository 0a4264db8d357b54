package co.soukosync.security;

import co.soukosync.config.Secrets;
import org.springframework.beans.factory.config.DestructionAwareBeanPostProcessor;
import org.springframework.stereotype.Component;

/**
 * Keeps the service's {@link Secrets} out of every log line ({@link LogRedaction}) from the moment
 * the bean exists until its context closes.
 */
@Component
class SecretsInLogs implements DestructionAwareBeanPostProcessor {

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof Secrets secrets) {
            LogRedaction.attach(secrets);
        }
        return bean;
    }

    @Override
    public boolean requiresDestruction(Object bean) {
        return bean instanceof Secrets;
    }

    @Override
    public void postProcessBeforeDestruction(Object bean, String beanName) {
        if (bean instanceof Secrets secrets) {
            LogRedaction.detach(secrets);
        }
    }
}
