package io.healthcarebackend.audit.dashboard;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.AppenderBase;
import io.healthcarebackend.platform.logging.LogMasking;
import java.time.Instant;
import java.util.Map;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Copies WARN and ERROR log events onto the live tail: level, logger, message, trace id, clinic and
 * user (from the log context), never a stack trace. The message goes through {@link LogMasking}
 * here too — the JSON log output masks its own copy, this copy leaves the process another way.
 * Attached to the root logger at start-up, and re-attached when logging is reconfigured: at once
 * on a Logback reset, and by a once-a-second check after a full stop of the logger context (which
 * drops every listener) — both happen when another Spring application starts in the same JVM.
 */
@Component
class WarnErrorTap implements SmartLifecycle {

    static final int MAX_MESSAGE = 2_000;
    private static final String OWN_PACKAGE = WarnErrorTap.class.getPackageName();

    private final LiveFeed feed;
    private final Appender appender = new Appender();
    private final ResetListener listener = new ResetListener();
    private volatile boolean running;
    private Thread watch;

    WarnErrorTap(LiveFeed feed) {
        this.feed = feed;
    }

    @Override
    public void start() {
        running = true;
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            appender.setContext(context);
            appender.setName("logger-dashboard-" + feed.instance());
            context.addListener(listener);
            attach(context);
            watch = Thread.ofVirtual().name("logger-tap-watch").start(() -> keepAttached(context));
        }
    }

    private void keepAttached(LoggerContext context) {
        while (running) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
            if (running && !context.getCopyOfListenerList().contains(listener)) {
                context.addListener(listener);
            }
            if (running) {
                attach(context);
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        if (watch != null) {
            watch.interrupt();
        }
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.removeListener(listener);
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(appender);
        }
        appender.stop();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private synchronized void attach(LoggerContext context) {
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (!appender.isStarted() || !root.isAttached(appender)) {
            appender.start();
            root.addAppender(appender);
        }
    }

    static String message(ILoggingEvent event) {
        String text = event.getFormattedMessage();
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            // The exception's class and (masked) message; its stack trace stays in the log.
            text = text + " [" + thrown.getClassName()
                    + (thrown.getMessage() == null ? "" : ": " + thrown.getMessage()) + "]";
        }
        String masked = LogMasking.mask(text);
        return masked == null || masked.length() <= MAX_MESSAGE ? masked : masked.substring(0, MAX_MESSAGE) + "…";
    }

    private final class Appender extends AppenderBase<ILoggingEvent> {

        @Override
        protected void append(ILoggingEvent event) {
            // This package logs only at DEBUG, but never feed its own lines back into the tail.
            if (!event.getLevel().isGreaterOrEqual(Level.WARN) || event.getLoggerName().startsWith(OWN_PACKAGE)) {
                return;
            }
            Map<String, String> mdc = event.getMDCPropertyMap();
            feed.publish(LiveEvent.log(Instant.ofEpochMilli(event.getTimeStamp()), feed.instance(),
                    mdc.get("clinic.id"), mdc.get("user.id"), mdc.get("trace.id"), event.getLevel().toString(),
                    event.getLoggerName(), message(event)));
        }
    }

    private final class ResetListener implements LoggerContextListener {

        @Override
        public boolean isResetResistant() {
            return true;
        }

        @Override
        public void onStart(LoggerContext context) {
            if (running) {
                attach(context);
            }
        }

        @Override
        public void onReset(LoggerContext context) {
            if (running) {
                attach(context);
            }
        }

        @Override
        public void onStop(LoggerContext context) {
        }

        @Override
        public void onLevelChange(ch.qos.logback.classic.Logger logger, Level level) {
        }
    }
}
