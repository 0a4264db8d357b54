package co.soukosync.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import co.soukosync.ContextsClosedAtTheEnd;
import co.soukosync.ExternalPostgres;
import co.soukosync.RouteTestApplication;
import co.soukosync.ops.ServiceStart;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.support.UnitOfWorkHelper;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The routes of sync-schedule.camel.yaml with the real gate (SyncGate, RunLock on a real
 * PostgreSQL): the Quartz route and the start-up timer fire through direct endpoints put in
 * their place (AdviceWith by route id), and the run they start is the mock endpoint
 * mock:sync-run. No HTTP, no upstream, no Quartz.
 */
@CamelSpringBootTest
@UseAdviceWith
@SpringBootTest(classes = RouteTestApplication.class, properties = {
        "camel.main.routes-include-pattern=classpath:routes/error-handling.camel.yaml,classpath:routes/sync-schedule.camel.yaml",
        "soukosync.schedule.enabled=true",
        "soukosync.sync.lock-key=" + ScheduleRoutesTest.KEY,
})
@Import({ErrorHandlingBeans.class, SyncGate.class, RunLock.class, ServiceStart.class})
@ExtendWith(ContextsClosedAtTheEnd.class)
class ScheduleRoutesTest {

    static final long KEY = 4244;

    @Autowired
    CamelContext camel;

    @Autowired
    ProducerTemplate template;

    @Autowired
    SyncGate gate;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    @EndpointInject("mock:sync-run")
    MockEndpoint syncRun;

    @BeforeEach
    void fireByHand() throws Exception {
        if (!camel.isStarted()) {
            AdviceWith.adviceWith(camel, "sync-schedule", route -> route.replaceFromWith("direct:schedule-fires"));
            AdviceWith.adviceWith(camel, "sync-at-start", route -> route.replaceFromWith("direct:start-timer-fires"));
            AdviceWith.adviceWith(camel, "sync-scheduled",
                    route -> route.weaveByToUri("direct:sync-run").replace().to("mock:sync-run"));
            camel.start();
        }
        jdbc.execute("TRUNCATE sync_runs RESTART IDENTITY CASCADE");
    }

    @AfterEach
    void resetMocks() {
        MockEndpoint.resetMocks(camel);
    }

    private double skipped() {
        var counter = meters.find("soukosync.sync.runs").tag("trigger", "schedule").tag("outcome", "skipped").counter();
        return counter == null ? 0 : counter.count();
    }

    /** A run in progress in this process, until {@link #done} is called. */
    private Exchange runInProgress() throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        assertThat(gate.tryEnter(exchange)).isNotNull();
        return exchange;
    }

    private static void done(Exchange exchange) {
        UnitOfWorkHelper.doneSynchronizations(exchange, exchange.getExchangeExtension().handoverCompletions());
    }

    @Test
    void aFireRunsAScheduledRunAndGivesTheGateBack() {
        template.sendBody("direct:schedule-fires", null);
        template.sendBody("direct:schedule-fires", null);

        assertThat(syncRun.getReceivedCounter()).isEqualTo(2);
        SyncRun run = syncRun.getReceivedExchanges().get(0).getVariable("run", SyncRun.class);
        assertThat(run.getTrigger()).isEqualTo(SyncRun.Trigger.schedule);
        assertThat(run.isDryRun()).isFalse();
    }

    @Test
    void aFireWhileARunIsInProgressIsSkippedAndNotQueued() throws Exception {
        double skippedBefore = skipped();
        Exchange call = runInProgress();

        template.sendBody("direct:schedule-fires", null);

        assertThat(syncRun.getReceivedCounter()).isZero();
        assertThat(skipped()).isEqualTo(skippedBefore + 1);

        done(call);
        // nothing waited for the gate: the skipped fire does not run now that it is free
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> syncRun.getReceivedCounter() == 0);
        template.sendBody("direct:schedule-fires", null);
        assertThat(syncRun.getReceivedCounter()).as("the next fire").isEqualTo(1);
    }

    @Test
    void aFireWhileAnotherReplicaRunsIsSkipped() throws Exception {
        double skippedBefore = skipped();
        try (Connection otherReplica = ExternalPostgres.shared().dataSource().getConnection();
                Statement statement = otherReplica.createStatement()) {
            statement.execute("SELECT pg_advisory_lock(" + KEY + ")");

            template.sendBody("direct:schedule-fires", null);

            assertThat(syncRun.getReceivedCounter()).isZero();
            assertThat(skipped()).isEqualTo(skippedBefore + 1);
            // the other replica's run ends: its lock given back now (a closed connection gives it
            // back only once its server process has exited, which may come after the next step)
            statement.execute("SELECT pg_advisory_unlock(" + KEY + ")");
        }
        template.sendBody("direct:schedule-fires", null);
        assertThat(syncRun.getReceivedCounter()).as("a fire once the other replica's run is over").isEqualTo(1);
    }

    @Test
    void theStartTimerRunsOnceNoRunHasEndedSinceTheStartAndNotAfterOne() {
        template.sendBody("direct:start-timer-fires", null);
        assertThat(syncRun.getReceivedCounter()).as("a start with nothing done yet").isEqualTo(1);
        assertThat(syncRun.getReceivedExchanges().get(0).getVariable("run", SyncRun.class).getTrigger())
                .isEqualTo(SyncRun.Trigger.schedule);

        // a run that ended since this service started (another replica's, a call's)
        jdbc.update("INSERT INTO sync_runs (trigger, started_at, finished_at, outcome) VALUES ('call', now(), now(), 'ok')");
        template.sendBody("direct:start-timer-fires", null);

        assertThat(syncRun.getReceivedCounter()).isEqualTo(1);
    }

    @Test
    void theStartTimerIsSkippedLikeTheScheduleWhileARunIsInProgress() throws Exception {
        Exchange call = runInProgress();
        try {
            template.sendBody("direct:start-timer-fires", null);
            assertThat(syncRun.getReceivedCounter()).isZero();
        } finally {
            done(call);
        }
    }
}
