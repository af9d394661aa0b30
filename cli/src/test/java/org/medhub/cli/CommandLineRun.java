package org.medhub.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** One run of the command line in this JVM: its exit code and what it wrote to each stream. */
public record CommandLineRun(int exitCode, String out, String err) {

    /** Runs {@code args} with {@code env} as the environment, not on a terminal. */
    public static CommandLineRun of(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MedHubCli.execute(env, new PrintWriter(out), new PrintWriter(err), false, args);
        return new CommandLineRun(code, out.toString(), err.toString());
    }
}
