package io.healthcarebackend.platform.config;

/**
 * What an instance does: serve HTTP, run background work, or both (the single-node default).
 * Reported by /health; which work runs where arrives with the background jobs (issue #5).
 */
public enum AppRole {
    API, WORKER, ALL
}
