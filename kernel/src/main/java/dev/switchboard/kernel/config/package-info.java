/**
 * The static configuration: the main TOML file in Traefik v1's format, read once at start by
 * {@link dev.switchboard.kernel.config.StaticConfigLoader} into an immutable
 * {@link dev.switchboard.kernel.config.StaticConfig}. Every error names file, line, key and what was expected, and
 * all are reported at once; valid Traefik v1 sections that are not built yet are accepted with one warning each.
 * Jackson's TOML tree has no locations, so {@link dev.switchboard.kernel.config.TomlLineIndex} supplies them.
 */
package dev.switchboard.kernel.config;
