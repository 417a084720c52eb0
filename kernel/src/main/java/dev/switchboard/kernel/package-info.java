/**
 * The proxy as a whole: {@link dev.switchboard.kernel.Switchboard} (the runtime object, usable in-process),
 * {@link dev.switchboard.kernel.Main} (the command line behind {@code bin/switchboard}),
 * {@link dev.switchboard.kernel.ConfigCheck} ({@code switchboard check}) and
 * {@link dev.switchboard.kernel.ConfigurationReloader} (providers' snapshots to published routing tables).
 */
package dev.switchboard.kernel;
