package io.postfleet.registry;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import javax.enterprise.context.ApplicationScoped;
import javax.enterprise.event.Observes;
import java.util.Optional;

/**
 * Stops the registry when the process that started it is gone, so a test JVM or launcher that is killed outright
 * (SIGKILL, no shutdown hooks) leaves no server behind. Active only when {@code postfleet.registry.parent-pid} names
 * that process.
 */
@ApplicationScoped
public class ParentWatch {

    private static final Logger LOG = Logger.getLogger(ParentWatch.class);

    @ConfigProperty(name = "postfleet.registry.parent-pid")
    Optional<Long> parentPid;

    void onStart(@Observes StartupEvent event) {
        parentPid.ifPresent(pid -> ProcessHandle.of(pid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> {
                    LOG.infof("process %d that started the registry has exited: stopping", pid);
                    Quarkus.asyncExit(0);
                }),
                () -> {
                    LOG.infof("process %d that started the registry is already gone: stopping", pid);
                    Quarkus.asyncExit(0);
                }));
    }
}
