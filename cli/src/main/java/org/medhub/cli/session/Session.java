package org.medhub.cli.session;

import java.io.PrintWriter;
import org.medhub.cli.http.MedHubApi;
import org.medhub.cli.http.TokenSource;
import org.medhub.cli.progress.ProgressBar;

/**
 * What a command gets from the command line it runs in (the top command implements it, and picocli
 * hands it to each command's {@code @ParentCommand} field): the streams, the server's API with the
 * tokens the global options and environment chose, a progress bar. Commands depend on this, not on
 * the top command, so that the packages form no cycle.
 */
public interface Session {

    /** Results: what a script reads. */
    PrintWriter out();

    /** Progress and messages. */
    PrintWriter err();

    MedHubApi api();

    TokenSource tokens();

    ProgressBar progressBar();
}
