package io.healthcarebackend.audit.dashboard;

/** An event as the live tail delivers it: with the id a client resumes from ({@code Last-Event-ID}). */
record Delivered(String id, LiveEvent event) {
}
