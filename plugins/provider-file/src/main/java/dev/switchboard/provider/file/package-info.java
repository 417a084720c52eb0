/**
 * The {@code file} configuration provider: Traefik v1's dynamic configuration ({@code [frontends]},
 * {@code [backends]}, {@code [[tls]]}) read from TOML files, with file and line in every message.
 *
 * <p>How a load flows:
 * <ol>
 *   <li>{@link dev.switchboard.provider.file.FileProviderSettings} reads the {@code [file]} section: which file or
 *       directory, and whether to watch.</li>
 *   <li>{@link dev.switchboard.provider.file.ConfigurationLoader} lists and reads the files, parses each with
 *       Jackson's TOML mapper, and indexes its lines with {@link dev.switchboard.provider.file.TomlLineIndex}
 *       (Jackson's tree has no positions).</li>
 *   <li>{@link dev.switchboard.provider.file.TraefikFileBinder} walks the tree through
 *       {@link dev.switchboard.provider.file.TomlSection}s, which match keys ignoring case as Traefik v1 did,
 *       check types, and report unknown keys and keys not built yet ({@link dev.switchboard.provider.file.BuiltKeys})
 *       into {@link dev.switchboard.provider.file.Diagnostics}.</li>
 *   <li>The loader merges the files, checks names defined twice and backend references, and the
 *       {@link dev.switchboard.provider.file.FileProvider} publishes the snapshot or rejects it with every
 *       problem.</li>
 *   <li>{@link dev.switchboard.provider.file.SourceWatcher} runs the same load again, debounced, when the source
 *       changes.</li>
 * </ol>
 */
package dev.switchboard.provider.file;
