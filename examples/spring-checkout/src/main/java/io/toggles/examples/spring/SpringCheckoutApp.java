package io.toggles.examples.spring;

import io.toggles.ToggleAdmin;
import io.toggles.Toggles;
import io.toggles.examples.checkout.RolloutStory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;

/**
 * The checkout service on Spring Boot. {@code ./run} in this directory builds and starts it on
 * {@code http://127.0.0.1:8080} with an H2 file database under {@code target/}; {@code GET
 * /checkout?product=&merchant=&country=} answers like the Jetty example's, and the toggles endpoint
 * is at {@code /actuator/toggles} (user {@code oncall} may write).
 */
@SpringBootApplication
public class SpringCheckoutApp {
  private static final Logger LOG = LoggerFactory.getLogger(SpringCheckoutApp.class);

  /** Creates the application; Spring calls it. */
  public SpringCheckoutApp() {}

  /**
   * Runs the service until the process is stopped.
   *
   * @param args Spring Boot's command line ({@code --server.port=0}, ...)
   */
  public static void main(String[] args) {
    SpringApplication.run(SpringCheckoutApp.class, args);
  }

  /**
   * Writes the rollout story on first start (a feature already declared is left as it is), unless
   * {@code checkout.seed=false}.
   */
  @Bean
  @ConditionalOnBooleanProperty(name = "checkout.seed", matchIfMissing = true)
  ApplicationRunner rolloutStory(ToggleAdmin admin, Toggles toggles) {
    return args -> {
      int written = RolloutStory.writeIfMissing(admin).size();
      toggles.sync();
      LOG.info(
          "rollout story: {} changes written; toggles at revision {}", written, toggles.revision());
    };
  }
}
