package io.healthcarebackend;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.modulith.Modulithic;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Entry point. The runtime role (api, worker, all) is chosen with {@code APP_ROLE}. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@Modulithic(sharedModules = "platform")
public class HealthcareBackendApplication {

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("generate-jwt-key")) {
            System.out.println(io.healthcarebackend.identity.SigningKeyGenerator.generate().toJSONString());
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
        SpringApplication app = new SpringApplication(HealthcareBackendApplication.class);
        app.addListeners(new io.healthcarebackend.platform.config.ProductionSafetyCheck());
        app.run(args);
    }
}
