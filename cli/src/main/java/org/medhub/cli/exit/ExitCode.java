package org.medhub.cli.exit;

/**
 * The exit codes of every command, so that scripts (and {@code ./medhub up}) can tell a mistake in
 * the call from a server that is down or a run that failed. Documented in docs/development.md.
 */
public final class ExitCode {

    /** The command did what it was asked. */
    public static final int OK = 0;
    /** The server answered, but the work failed: a job ended FAILED, or an answer MedHub should not give. */
    public static final int FAILED = 1;
    /** Bad input: unknown or missing options, a file that is not there, or data the server refused (400). */
    public static final int BAD_INPUT = 2;
    /** MedHub or Keycloak did not answer at the configured address. */
    public static final int UNREACHABLE = 3;
    /** No token, or the token's user may not do this (401, 403). */
    public static final int NOT_ALLOWED = 4;
    /** The user pressed Ctrl-C; a running job was cancelled (128 + SIGINT, as shells report it). */
    public static final int CANCELLED = 130;

    private ExitCode() {}
}
