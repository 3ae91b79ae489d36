package io.postfleet.registry;

import io.apicurio.common.apps.config.DynamicConfigPropertyList;

import javax.enterprise.context.ApplicationScoped;
import javax.enterprise.inject.Produces;
import java.util.List;

/**
 * Supplies the registry's index of settings that may be changed at run time through {@code /admin/config}. Apicurio
 * generates this list at build time with an extension half that is not on Maven Central; the fleet changes no
 * setting at run time, so the list is empty and every setting comes from the properties the process starts with.
 */
@ApplicationScoped
public class DynamicConfigProperties {

    @Produces
    @ApplicationScoped
    DynamicConfigPropertyList dynamicConfigProperties() {
        return new DynamicConfigPropertyList(List.of());
    }
}
