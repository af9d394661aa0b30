package org.medhub.cli.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.medhub.cli.exit.CliFailure;
import org.medhub.cli.exit.ExitCode;

/** One answer of the server: its status and body, read as JSON on demand. */
public record ApiResponse(int status, String body) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The body as JSON; an answer that is not JSON where JSON was promised is the server's failure. */
    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new CliFailure(ExitCode.FAILED, "the server answered with something other than JSON: "
                    + abbreviate(body, 500));
        }
    }

    /**
     * This response if it has the expected status, else a failure "{@code what}: {@code reason}".
     * The exit code says whose fault it was: refused input (400, 404, 409, 413, 415, 422) is bad
     * input, 401 and 403 are not allowed, anything else is a failure.
     */
    public ApiResponse expect(int expected, String what) {
        if (status == expected) {
            return this;
        }
        int code = switch (status) {
            case 400, 404, 409, 413, 415, 422 -> ExitCode.BAD_INPUT;
            case 401, 403 -> ExitCode.NOT_ALLOWED;
            default -> ExitCode.FAILED;
        };
        throw new CliFailure(code, what + ": " + reason());
    }

    /**
     * Why a call was refused: an RFC 9457 problem's {@code detail} with the ML API's list of
     * {@code problems} (each a schema violation), or the start of the raw body.
     */
    public String reason() {
        try {
            JsonNode problem = JSON.readTree(body);
            if (problem != null && problem.hasNonNull("detail")) {
                List<String> problems = new ArrayList<>();
                problem.path("problems").forEach(p -> problems.add(p.asText()));
                return problem.get("detail").asText()
                        + (problems.isEmpty() ? "" : " (" + String.join("; ", problems) + ")");
            }
        } catch (IOException notJson) {
            // fall through to the raw body
        }
        return "HTTP " + status + (body == null || body.isBlank() ? "" : " " + abbreviate(body, 500));
    }

    static String abbreviate(String text, int length) {
        if (text == null) {
            return "";
        }
        return text.length() <= length ? text : text.substring(0, length) + "...";
    }
}
