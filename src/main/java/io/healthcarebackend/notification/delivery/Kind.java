package io.healthcarebackend.notification.delivery;

/** What a message is about. Confirmations go out before bulk reminders (job priority). */
enum Kind {
    CONFIRMATION(100, "appointment-confirmation"),
    REMINDER(0, "appointment-reminder");

    final int priority;
    final String task;

    Kind(int priority, String task) {
        this.priority = priority;
        this.task = task;
    }
}
