package io.healthcarebackend.notification.delivery;

import io.healthcarebackend.notification.channel.Channel;
import io.healthcarebackend.notification.delivery.NotificationSettings.Template;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Message texts. A clinic may override each {@code KIND.CHANNEL}; the only placeholders are the
 * clinic's name and the appointment's date, weekday and time — never the patient's name, the
 * practitioner, the reason or anything clinical, so a message read by someone else over the
 * patient's shoulder (or stored by a provider) discloses the minimum.
 */
final class Templates {

    static final Set<String> PLACEHOLDERS = Set.of("clinic", "date", "weekday", "time");
    static final int MAX_SUBJECT = 200;
    static final int MAX_BODY = 1000;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z]+)\\s*}}");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    private static final Map<Kind, Template> DEFAULTS = Map.of(
            Kind.CONFIRMATION, new Template("Your appointment at {{clinic}}",
                    "Your appointment at {{clinic}} is booked for {{weekday}} {{date}} at {{time}}."
                            + " To change or cancel it, please contact the clinic."),
            Kind.REMINDER, new Template("Reminder: appointment at {{clinic}}",
                    "Reminder: you have an appointment at {{clinic}} on {{weekday}} {{date}} at {{time}}."));

    private Templates() {
    }

    static String key(Kind kind, Channel channel) {
        return kind.name() + "." + channel.name();
    }

    static Template of(NotificationSettings settings, Kind kind, Channel channel) {
        Template own = settings.templates().get(key(kind, channel));
        if (own == null) {
            return DEFAULTS.get(kind);
        }
        return own.subject() == null ? new Template(DEFAULTS.get(kind).subject(), own.body()) : own;
    }

    static Template render(Template template, String clinic, Instant start, ZoneId zone) {
        ZonedDateTime at = start.atZone(zone);
        Map<String, String> values = Map.of("clinic", clinic, "date", at.toLocalDate().toString(),
                "weekday", at.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ENGLISH), "time", TIME.format(at));
        return new Template(fill(template.subject(), values), fill(template.body(), values));
    }

    private static String fill(String text, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(values.getOrDefault(m.group(1), "")));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Problems with a clinic's template, for a 400 answer; empty when it is acceptable. */
    static List<String> problems(String key, Template template) {
        List<String> problems = new ArrayList<>();
        if (!validKey(key)) {
            problems.add(key + ": not a KIND.CHANNEL (CONFIRMATION|REMINDER . EMAIL|SMS|PUSH)");
            return problems;
        }
        if (template == null || template.body() == null || template.body().isBlank()) {
            problems.add(key + ".body: required");
            return problems;
        }
        if (template.subject() != null && template.subject().length() > MAX_SUBJECT) {
            problems.add(key + ".subject: at most " + MAX_SUBJECT + " characters");
        }
        if (template.body().length() > MAX_BODY) {
            problems.add(key + ".body: at most " + MAX_BODY + " characters");
        }
        for (String text : new String[] {template.subject(), template.body()}) {
            if (text == null) {
                continue;
            }
            Matcher m = PLACEHOLDER.matcher(text);
            while (m.find()) {
                if (!PLACEHOLDERS.contains(m.group(1))) {
                    problems.add(key + ": unknown placeholder {{" + m.group(1) + "}} (allowed: " + PLACEHOLDERS + ")");
                }
            }
        }
        return problems;
    }

    private static boolean validKey(String key) {
        String[] parts = key.split("\\.");
        if (parts.length != 2) {
            return false;
        }
        try {
            Kind.valueOf(parts[0]);
            Channel.valueOf(parts[1]);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
