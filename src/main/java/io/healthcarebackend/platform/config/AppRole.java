package io.healthcarebackend.platform.config;

/**
 * What an instance does: serve HTTP, run background work, or both (the single-node default).
 * API instances enqueue jobs but never run them; workers run jobs and answer only /health and
 * /metrics over HTTP. Any number of either share PostgreSQL and Redis.
 */
public enum AppRole {
    API, WORKER, ALL;

    public boolean runsJobs() {
        return this != API;
    }

    public boolean servesApi() {
        return this != WORKER;
    }
}
