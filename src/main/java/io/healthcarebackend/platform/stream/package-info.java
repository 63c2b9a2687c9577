/**
 * Long-lived responses that carry a user's access beyond one request (server-sent event streams)
 * end with that access: {@link io.healthcarebackend.platform.stream.AccessBoundStreams} binds each
 * open stream to its session, user, clinic, role and access token expiry, caps streams per user,
 * and ends them on token expiry, on any session end (here and on other instances) and when a
 * periodic re-check finds the session gone.
 */
package io.healthcarebackend.platform.stream;
