package co.soukosync.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.web.ServerProperties;
import org.springframework.boot.autoconfigure.web.servlet.error.BasicErrorController;
import org.springframework.boot.web.servlet.error.ErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;

/**
 * Spring's error page (/error), which answers the requests that no route took. It is not an
 * endpoint of ours: a client that calls it directly, with any method, gets the 404 of any path
 * nothing serves, rather than Spring's 500 for an error page that has no error to show.
 */
@Controller
class ErrorPage extends BasicErrorController {

    ErrorPage(ErrorAttributes errorAttributes, ServerProperties server) {
        super(errorAttributes, server.getError());
    }

    /** A forward to the error page carries the status of the error; a client's own request does not. */
    @Override
    protected HttpStatus getStatus(HttpServletRequest request) {
        return request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) == null ? HttpStatus.NOT_FOUND : super.getStatus(request);
    }
}
