package io.healthcarebackend.audit.dashboard;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * Per-route latency quantiles and error rate, read from the service's own {@code http.server.requests}
 * timers — the numbers Prometheus scrapes, not a second measurement. application.yml turns on
 * their histogram ({@code percentiles-histogram}); the timers of one route (one per method, status
 * and outcome) are merged bucket by bucket and the quantiles are interpolated linearly within a
 * bucket, as Prometheus' {@code histogram_quantile} does. The counts are cumulative since start-up.
 */
@Component
class RouteLatency {

    record Route(String route, long count, double p50Ms, double p95Ms, double p99Ms, double errorRate) {
    }

    private final MeterRegistry meters;

    RouteLatency(MeterRegistry meters) {
        this.meters = meters;
    }

    List<Route> routes() {
        Map<String, List<Timer>> byRoute = new HashMap<>();
        for (Timer timer : meters.find("http.server.requests").timers()) {
            String uri = timer.getId().getTag("uri");
            if (uri != null) {
                byRoute.computeIfAbsent(uri, u -> new ArrayList<>()).add(timer);
            }
        }
        List<Route> routes = new ArrayList<>();
        byRoute.forEach((uri, timers) -> routes.add(summarize(uri, timers)));
        routes.removeIf(r -> r.count() == 0);
        routes.sort(Comparator.comparingLong(Route::count).reversed().thenComparing(Route::route));
        return routes;
    }

    private static Route summarize(String uri, List<Timer> timers) {
        // Bucket upper bound (ns) -> number of requests at or below it, over all the route's timers.
        TreeMap<Double, Double> cumulative = new TreeMap<>();
        long count = 0;
        long errors = 0;
        double max = 0;
        for (Timer timer : timers) {
            HistogramSnapshot snapshot = timer.takeSnapshot();
            count += snapshot.count();
            max = Math.max(max, snapshot.max(TimeUnit.NANOSECONDS));
            String status = timer.getId().getTag("status");
            if (status != null && status.startsWith("5")) {
                errors += snapshot.count();
            }
            for (CountAtBucket bucket : snapshot.histogramCounts()) {
                cumulative.merge(bucket.bucket(TimeUnit.NANOSECONDS), bucket.count(), Double::sum);
            }
        }
        return new Route(uri, count, quantile(cumulative, count, max, 0.50), quantile(cumulative, count, max, 0.95),
                quantile(cumulative, count, max, 0.99), count == 0 ? 0 : round((double) errors / count, 4));
    }

    /** The q-quantile in milliseconds, interpolated within the bucket that holds it. */
    static double quantile(TreeMap<Double, Double> cumulative, long count, double maxNanos, double q) {
        if (count == 0) {
            return 0;
        }
        double rank = q * count;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= rank) {
                double inBucket = bucket.getValue() - lowerCount;
                double fraction = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
                return round((lowerBound + (bucket.getKey() - lowerBound) * fraction) / 1e6, 3);
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        // Above the largest bucket: the slowest recent request is the best bound there is.
        return round(Math.max(maxNanos, lowerBound) / 1e6, 3);
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
