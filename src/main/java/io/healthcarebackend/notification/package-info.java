/**
 * Notifications: confirmations and reminders of appointments to patients (e-mail, SMS, push
 * through provider adapters, sent by background jobs exactly once), and real-time appointment
 * updates to staff screens. Listens to the scheduling module's events; nothing depends on it.
 */
package io.healthcarebackend.notification;
