/**
 * Lotus API tokens: HS256 JSON Web Tokens whose payload lists the permissions granted
 * ({@code {"Allow":["read","write","sign","admin"]}}, optionally {@code exp}), signed with a secret shared by whoever
 * makes tokens and whoever checks them. Signing and checking are written here on the JDK's HmacSHA256.
 */
package io.postfleet.proving.storage.auth;
