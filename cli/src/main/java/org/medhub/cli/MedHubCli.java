package org.medhub.cli;

import java.io.Console;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.medhub.cli.exit.CliFailure;
import org.medhub.cli.exit.ExitCode;
import org.medhub.cli.fhir.LoadBundlesCommand;
import org.medhub.cli.http.MedHubApi;
import org.medhub.cli.http.TokenSource;
import org.medhub.cli.progress.ProgressBar;
import org.medhub.cli.session.Session;
import org.medhub.cli.token.TokenCommand;
import org.medhub.cli.train.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * MedHub's API clients on the command line: what {@code ./medhub train} and {@code ./medhub
 * demo-data} do over HTTP against a running server. The launcher stays in bash (JDK, packages,
 * processes) and runs this jar for everything that talks to the server's APIs.
 */
@Command(name = "medhub", sortOptions = false, usageHelpAutoWidth = true,
        subcommands = {TrainCommand.class, LoadBundlesCommand.class, TokenCommand.class},
        description = "MedHub's API clients: train models, load FHIR bundles, get a token.",
        footerHeading = "%nToken:%n",
        footer = {
            "  MEDHUB_TOKEN if set (an environment variable: arguments show in the process list),",
            "  else the dev user's (--user) from Keycloak's medhub-cli client, renewed as it expires.",
            "",
            "Exit codes:",
            "  0    done",
            "  1    failed: a job or a bundle failed, or the server erred",
            "  2    bad input: options, files, or data the server refused",
            "  3    MedHub or Keycloak unreachable",
            "  4    no token, or the user may not do this",
            "  130  cancelled (Ctrl-C)"})
public final class MedHubCli implements Callable<Integer>, Session {

    static final String DEFAULT_SERVER = "http://localhost:8080";
    static final String DEFAULT_ISSUER = "http://localhost:8081/realms/medhub";
    static final String DEFAULT_USER = "researcher";

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "show this help")
    boolean help;

    @Option(names = "--server", paramLabel = "URL",
            description = "MedHub's base URL (default: MEDHUB_URL, else " + DEFAULT_SERVER + ")")
    String server;

    @Option(names = "--issuer", paramLabel = "URL",
            description = "the realm that issues tokens (default: MEDHUB_OIDC_ISSUER, else " + DEFAULT_ISSUER + ")")
    String issuer;

    @Option(names = "--user", paramLabel = "NAME",
            description = "the dev user whose token to use without MEDHUB_TOKEN (default: MEDHUB_USER, else "
                    + DEFAULT_USER + ")")
    String user;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean terminal;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private TokenSource tokens;

    MedHubCli(Map<String, String> env, PrintWriter out, PrintWriter err, boolean terminal) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(execute(System.getenv(), out, err, onTerminal(), args));
    }

    /**
     * Runs one command line and returns its {@link ExitCode}: what {@code main} does, without
     * exiting, for tests and for callers in the same JVM. {@code terminal} redraws progress in place.
     */
    public static int execute(Map<String, String> env, PrintWriter out, PrintWriter err, boolean terminal,
            String... args) {
        CommandLine commandLine = new CommandLine(new MedHubCli(env, out, err, terminal))
                .setOut(out)
                .setErr(err)
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, failed, parsed) -> {
                    if (e instanceof CliFailure failure) {
                        failed.getErr().println("medhub: " + failure.getMessage());
                        failed.getErr().flush();
                        return failure.exitCode();
                    }
                    throw e;
                });
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Without a command there is nothing to do: say so with the list of commands. */
    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed");
    }

    @Override
    public PrintWriter out() {
        return out;
    }

    @Override
    public PrintWriter err() {
        return err;
    }

    /** A progress bar on standard error, redrawn in place on a terminal, a line per step elsewhere. */
    @Override
    public ProgressBar progressBar() {
        return new ProgressBar(err, terminal, System::nanoTime);
    }

    /** The server's APIs with this command line's tokens. */
    @Override
    public MedHubApi api() {
        return new MedHubApi(http, URI.create(stripSlash(setting(server, "MEDHUB_URL", DEFAULT_SERVER))), tokens());
    }

    @Override
    public synchronized TokenSource tokens() {
        if (tokens == null) {
            String given = env.get("MEDHUB_TOKEN");
            tokens = given != null && !given.isBlank()
                    ? TokenSource.fixed(given)
                    : TokenSource.devUser(http, URI.create(stripSlash(setting(issuer, "MEDHUB_OIDC_ISSUER", DEFAULT_ISSUER))),
                            setting(user, "MEDHUB_USER", DEFAULT_USER));
        }
        return tokens;
    }

    private String setting(String option, String variable, String fallback) {
        if (option != null) {
            return option;
        }
        String value = env.get(variable);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * Whether standard output is an interactive terminal. Java 22 and later return a console for
     * redirected streams too and tell them apart with {@code isTerminal()}, which Java 21 (the
     * release this compiles for) does not have: hence the look-up by name.
     */
    private static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException java21) {
            return true;
        }
    }
}
