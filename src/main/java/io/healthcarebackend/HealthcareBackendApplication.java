package io.healthcarebackend;

import io.healthcarebackend.platform.config.Command;
import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.modulith.Modulithic;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Entry point. The runtime role (api, worker, all) is chosen with {@code APP_ROLE}; a first
 * argument naming a {@link Command} (e.g. {@code audit-verify}) runs that command instead.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@Modulithic(sharedModules = "platform")
public class HealthcareBackendApplication {

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("generate-jwt-key")) {
            System.out.println(io.healthcarebackend.identity.SigningKeyGenerator.generate().toJSONString());
            return;
        }
        if (args.length == 1 && args[0].equals("generate-audit-key")) {
            System.out.println(io.healthcarebackend.audit.AuditKeyGenerator.generate());
            return;
        }
        if (args.length == 1 && args[0].equals("generate-phi-master-key")) {
            System.out.println(java.util.Base64.getEncoder().encodeToString(
                    io.healthcarebackend.platform.crypto.Keysets.generateJson().getBytes(
                            java.nio.charset.StandardCharsets.UTF_8)));
            return;
        }
        if (args.length >= 1 && args[0].equals("rotate-keys")) {
            System.exit(io.healthcarebackend.platform.crypto.RotateKeysCommand.run(args));
        }
        if (args.length >= 1 && args[0].equals("audit-verify-export")) {
            // Without the application: an export must be checkable with no database at hand.
            System.exit(io.healthcarebackend.audit.AuditExports.verify(System.out,
                    Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args.length > 0 && !args[0].startsWith("-")) {
            System.exit(runCommand(args));
        }
        application().run(args);
    }

    private static SpringApplication application() {
        SpringApplication app = new SpringApplication(HealthcareBackendApplication.class);
        app.addListeners(new io.healthcarebackend.platform.config.ProductionSafetyCheck());
        return app;
    }

    /** Runs the named {@link Command} in an application without a web server; returns its exit status. */
    static int runCommand(String... args) throws Exception {
        SpringApplication app = application();
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setDefaultProperties(java.util.Map.of("app.command", args[0]));
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try (ConfigurableApplicationContext context = app.run()) {
            Command command = context.getBeansOfType(Command.class).values().stream()
                    .filter(c -> c.name().equals(args[0])).findFirst().orElse(null);
            if (command == null) {
                System.err.println("unknown command '" + args[0] + "'; known: " + context.getBeansOfType(Command.class)
                        .values().stream().map(Command::name).sorted().toList());
                return 2;
            }
            return command.run(rest);
        }
    }
}
