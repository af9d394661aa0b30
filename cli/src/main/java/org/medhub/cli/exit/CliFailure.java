package org.medhub.cli.exit;

/**
 * Ends a command with a message for the user (printed as {@code medhub: <message>} on standard
 * error, never with a stack trace) and one of the {@link ExitCode}s.
 */
public final class CliFailure extends RuntimeException {

    private final int exitCode;

    public CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
