package co.soukosync.api;

import java.io.IOException;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Requests that Tomcat refuses before any application code sees them (a NUL byte or a bad
 * escape in the path) would get Tomcat's HTML error page; this answers them in the JSON shape
 * of our other errors instead, without any server detail.
 */
class JsonErrorReportValve extends ErrorReportValve {

    private final ApiErrorWriter errors;

    JsonErrorReportValve(ApiErrorWriter errors) {
        this.errors = errors;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            java.io.Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(errors.json(ApiError.reasonFor(status), "the server refused this request (HTTP " + status + ")"));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the answer was committed: nothing more to say
        }
    }
}
