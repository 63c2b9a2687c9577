package io.healthcarebackend.deploy.kubernetes;

import io.fabric8.autoscaling.api.model.v1.VerticalPodAutoscaler;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.json.JsonMapper;

/**
 * fabric8 published no 8.0.0 of its VerticalPodAutoscaler model; its last release (7.5.2) is
 * generated for Jackson 2, while the 8.0.0 core parses with Jackson 3. Each VPA model class says
 * "deserialize me as a plain bean" with the Jackson 2 annotation, which Jackson 3 does not read,
 * so the 8.0.0 core's interface-level deserializer would turn every nested VPA object into a
 * RawExtension. This puts the same instruction back as a Jackson 3 mix-in, class by class; field
 * names and types still come from the VPA model itself (and unknown ones still fail).
 */
final class LegacyModels {

    @JsonDeserialize(using = ValueDeserializer.None.class)
    private interface PlainBean {
    }

    private LegacyModels() {
    }

    /** A mapper that reads the VPA model classes as beans; the caller's serialization adds its modules. */
    static JsonMapper mapper() {
        JsonMapper.Builder builder = JsonMapper.builder();
        vpaModelClasses().forEach(type -> builder.addMixIn(type, PlainBean.class));
        return builder.build();
    }

    private static List<Class<?>> vpaModelClasses() {
        String prefix = VerticalPodAutoscaler.class.getPackageName().replace('.', '/');
        List<Class<?>> classes = new ArrayList<>();
        try (JarFile jar = new JarFile(Path.of(VerticalPodAutoscaler.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI()).toFile())) {
            for (JarEntry entry : jar.stream().toList()) {
                String name = entry.getName();
                if (name.startsWith(prefix + "/") && name.endsWith(".class") && !name.contains("$")
                        && name.indexOf('/', prefix.length() + 1) < 0) {
                    Class<?> type = Class.forName(name.substring(0, name.length() - 6).replace('/', '.'));
                    if (KubernetesResource.class.isAssignableFrom(type) && !type.isInterface()) {
                        classes.add(type);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the VPA model classes", e);
        } catch (URISyntaxException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot list the VPA model classes", e);
        }
        if (classes.isEmpty()) {
            throw new IllegalStateException("no VPA model classes found in the jar of " + VerticalPodAutoscaler.class);
        }
        return classes;
    }
}
