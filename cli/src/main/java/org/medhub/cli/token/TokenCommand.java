package org.medhub.cli.token;

import java.util.concurrent.Callable;
import org.medhub.cli.exit.ExitCode;
import org.medhub.cli.session.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code token}: prints the access token the other commands would send, for tools that take one in
 * {@code MEDHUB_TOKEN} (./medhub hands it to the demo image loader that way, not as an argument,
 * because arguments show in the process list).
 */
@Command(name = "token",
        description = "Print an access token: MEDHUB_TOKEN as given, else the dev user's from Keycloak (--user).")
public final class TokenCommand implements Callable<Integer> {

    @ParentCommand
    Session cli;

    @Override
    public Integer call() {
        cli.out().println(cli.tokens().get());
        cli.out().flush();
        return ExitCode.OK;
    }
}
