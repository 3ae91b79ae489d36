/**
 * What the schema registry server needs besides Apicurio's published artifacts: the list of runtime-changeable
 * settings that the unpublished build half of Apicurio's config-index extension would have generated.
 */
package io.postfleet.registry;
