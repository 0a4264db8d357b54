package co.soukosync.ops;

import co.soukosync.sync.SyncRun;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.impl.engine.DefaultUnitOfWork;
import org.apache.camel.spi.UnitOfWork;
import org.apache.camel.spi.UnitOfWorkFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Logs for machines: every line logged while a step of a run's exchange works carries the run's
 * id as the MDC field run_id, and once the run knows it, its outcome (run_outcome: ok or error)
 * and reason (run_reason), on whichever thread the step runs: the trigger's, a retry's, the
 * cast's queue, the alerts after it (they get a copy of the run). With
 * LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs these are JSON fields of each line.
 *
 * <p>Camel asks an exchange's unit of work before each step and tells it when the step is done:
 * the fields are taken from the exchange's variable "run" before, and the thread gets back what
 * it had after, so nothing is left behind on a pooled thread. Camel's own MDC logging
 * (camel.main.use-mdc-logging) is not used: it adds its exchange and route ids to every line and
 * leaves custom keys behind on the threads an exchange moves to.
 */
@Component
class RunLogFields implements UnitOfWorkFactory {

    static final String RUN_ID = "run_id";
    static final String OUTCOME = "run_outcome";
    static final String REASON = "run_reason";
    private static final String[] KEYS = {RUN_ID, OUTCOME, REASON};

    @Override
    public UnitOfWork createUnitOfWork(Exchange exchange) {
        CamelContext camel = exchange.getContext();
        return new RunUnitOfWork(exchange, camel.getInflightRepository(), Boolean.TRUE.equals(camel.isAllowUseOriginalMessage()),
                Boolean.TRUE.equals(camel.isUseBreadcrumb()));
    }

    /** The fields of the exchange's run: none outside a run, or before the run has its id. */
    static Map<String, String> of(Exchange exchange) {
        Map<String, String> fields = new HashMap<>();
        if (exchange.getVariable("run") instanceof SyncRun run && run.getId() != null) {
            fields.put(RUN_ID, run.getId().toString());
            String outcome = run.getOutcome();
            if (outcome != null) {
                fields.put(OUTCOME, outcome);
                if (run.getError() != null && !"ok".equals(outcome)) {
                    fields.put(REASON, run.getError().reason());
                }
            }
        }
        return fields;
    }

    /** Makes the thread's fields these; returns what it had. */
    static Map<String, String> use(Map<String, String> fields) {
        Map<String, String> had = new HashMap<>();
        for (String key : KEYS) {
            String old = MDC.get(key);
            if (old != null) {
                had.put(key, old);
            }
            String value = fields.get(key);
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        }
        return had;
    }

    private static final class RunUnitOfWork extends DefaultUnitOfWork {

        RunUnitOfWork(Exchange exchange, org.apache.camel.spi.InflightRepository inflight, boolean allowUseOriginalMessage,
                      boolean useBreadcrumb) {
            super(exchange, inflight, allowUseOriginalMessage, useBreadcrumb);
        }

        @Override
        public boolean isBeforeAfterProcess() {
            return true;
        }

        @Override
        public AsyncCallback beforeProcess(Processor processor, Exchange exchange, AsyncCallback callback) {
            Map<String, String> had = use(of(exchange));
            AsyncCallback after = super.beforeProcess(processor, exchange, callback);
            return doneSync -> {
                if (doneSync) {
                    // the step is done on the thread that started it: what came before it goes on
                    use(had);
                    after.done(true);
                } else {
                    // done on another thread: the exchange goes on there as the run's, then that
                    // thread gets its own fields back
                    Map<String, String> theirs = use(of(exchange));
                    try {
                        after.done(false);
                    } finally {
                        use(theirs);
                    }
                }
            };
        }
    }
}
