/**
 * Real-time appointment updates to staff screens: {@code GET /api/v1/events/stream}, server-sent
 * events fed by the scheduling module's appointment events and fanned out across instances through
 * Redis (README "Real-time updates").
 */
package io.healthcarebackend.notification.stream;
