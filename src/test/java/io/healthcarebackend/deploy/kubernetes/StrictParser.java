package io.healthcarebackend.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses a rendered YAML stream into the fabric8 Kubernetes model, strictly. fabric8 is lenient
 * by design: a field its model does not know lands in the object's {@code additionalProperties}
 * map, and an unknown apiVersion/kind becomes a {@link GenericKubernetesResource}. Both are
 * refused here, so a misspelled field ({@code readOnlyRootFilesytem}) or an API version the
 * cluster does not serve fails the test instead of being silently ignored by the API server.
 */
final class StrictParser {

    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---[ \\t]*$");
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization(LegacyModels.mapper(), true);

    private StrictParser() {
    }

    /** A deep copy, for tests that doctor an object to prove a check fails. */
    static <T> T copy(T object) {
        return SERIALIZATION.clone(object);
    }

    /** Every object of a multi-document YAML stream; an AssertionError names the first bad one. */
    static List<HasMetadata> parse(String yamlStream) {
        List<HasMetadata> objects = new ArrayList<>();
        String[] documents = DOCUMENT_SEPARATOR.split(yamlStream);
        for (int i = 0; i < documents.length; i++) {
            String document = documents[i];
            if (document.lines().allMatch(line -> line.isBlank() || line.stripLeading().startsWith("#"))) {
                continue;
            }
            objects.add(parseOne(document, i));
        }
        return objects;
    }

    private static HasMetadata parseOne(String document, int index) {
        Object parsed;
        try {
            parsed = SERIALIZATION.unmarshal(document);
        } catch (RuntimeException e) {
            throw new AssertionError("document " + index + " does not fit the Kubernetes model: " + e.getMessage()
                    + "\n" + document, e);
        }
        if (parsed instanceof GenericKubernetesResource generic) {
            throw new AssertionError("document " + index + ": unknown kind " + generic.getApiVersion() + " "
                    + generic.getKind() + " (no model for it: a typo in apiVersion/kind, or a CRD this project does"
                    + " not use)");
        }
        if (!(parsed instanceof HasMetadata object)) {
            throw new AssertionError("document " + index + " is not a Kubernetes object: " + parsed);
        }
        List<String> unknown = unknownFields(object);
        if (!unknown.isEmpty()) {
            throw new AssertionError(object.getKind() + " " + object.getMetadata().getName()
                    + " has fields the Kubernetes model does not know: " + unknown);
        }
        return object;
    }

    /**
     * The paths of every field the model did not recognise, anywhere in the object graph: each
     * fabric8 model object keeps those in its {@code additionalProperties}.
     */
    static List<String> unknownFields(Object root) {
        List<String> found = new ArrayList<>();
        walk(root, root.getClass().getSimpleName(), found, Collections.newSetFromMap(new IdentityHashMap<>()));
        return found;
    }

    private static void walk(Object value, String path, List<String> found, Set<Object> seen) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Enum<?> || !seen.add(value)) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, found, seen));
            return;
        }
        if (value instanceof Collection<?> collection) {
            int i = 0;
            for (Object element : collection) {
                walk(element, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Class<?> type = value.getClass(); type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                Object fieldValue;
                try {
                    fieldValue = field.get(value);
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read " + path + "." + field.getName(), e);
                }
                if (field.getName().equals("additionalProperties")) {
                    if (fieldValue instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        extra.keySet().forEach(key -> found.add(path + "." + key));
                    }
                } else {
                    walk(fieldValue, path + "." + field.getName(), found, seen);
                }
            }
        }
    }
}
