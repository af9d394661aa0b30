package org.medhub.cli.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.medhub.cli.exit.CliFailure;
import org.medhub.cli.exit.ExitCode;

class ApiResponseTest {

    @Test
    void aProblemReadsAsItsDetailWithTheSchemaProblems() {
        ApiResponse refused = new ApiResponse(400, """
                {"type":"about:blank","status":400,"detail":"the dataset does not fit its spec",
                 "problems":["target: no column 'outcome'","exclude: no column 'idx'"]}""");
        assertThat(refused.reason())
                .isEqualTo("the dataset does not fit its spec (target: no column 'outcome'; exclude: no column 'idx')");
    }

    @Test
    void anythingElseReadsAsItsStatusAndTheStartOfTheBody() {
        assertThat(new ApiResponse(502, "<html>" + "x".repeat(600)).reason())
                .startsWith("HTTP 502 <html>xxx").endsWith("...").hasSize("HTTP 502 ".length() + 503);
        assertThat(new ApiResponse(500, "").reason()).isEqualTo("HTTP 500");
    }

    @Test
    void theExitCodeSaysWhoseFaultARefusalWas() {
        assertThat(new ApiResponse(201, "{}").expect(201, "x").status()).isEqualTo(201);
        assertExit(new ApiResponse(400, "{\"detail\":\"bad\"}"), ExitCode.BAD_INPUT, "the dataset was refused: bad");
        assertExit(new ApiResponse(422, "{}"), ExitCode.BAD_INPUT, "the dataset was refused: HTTP 422 {}");
        assertExit(new ApiResponse(403, ""), ExitCode.NOT_ALLOWED, "the dataset was refused: HTTP 403");
        assertExit(new ApiResponse(401, ""), ExitCode.NOT_ALLOWED, "the dataset was refused: HTTP 401");
        assertExit(new ApiResponse(500, "{\"detail\":\"Internal error\"}"), ExitCode.FAILED,
                "the dataset was refused: Internal error");
    }

    private static void assertExit(ApiResponse response, int code, String message) {
        assertThatThrownBy(() -> response.expect(201, "the dataset was refused"))
                .isInstanceOfSatisfying(CliFailure.class, f -> assertThat(f.exitCode()).isEqualTo(code))
                .hasMessage(message);
    }
}
