package io.healthcarebackend.platform.config;

/** What an instance does: serve HTTP, run background work, or both (the single-node default). */
public enum AppRole {
    API, WORKER, ALL;

    public boolean servesApi() {
        return this != WORKER;
    }

    public boolean runsWork() {
        return this != API;
    }
}
