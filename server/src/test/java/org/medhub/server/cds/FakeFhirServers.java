package org.medhub.server.cds;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * FHIR servers a hostile or broken EHR could name: one that answers its body a byte at a time,
 * one whose body never ends, one that fails with an internal detail in its answer, and a plain
 * port that only counts the connections made to it (nothing should ever reach it).
 */
final class FakeFhirServers implements AutoCloseable {

    static final String INTERNAL_DETAIL = "upstream db01.internal:5432 refused";

    private final HttpServer http;
    private final ServerSocket recorder;
    final AtomicInteger connections = new AtomicInteger();
    final AtomicLong hugeBytesSent = new AtomicLong();

    FakeFhirServers() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 16);
        http.createContext("/slow/fhir", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 600; i++) {
                    out.write(i == 0 ? '{' : ' ');
                    out.flush();
                    Thread.sleep(250);
                }
            } catch (IOException | InterruptedException e) {
                // The service hung up: what the test wants.
            }
        });
        http.createContext("/huge/fhir", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = " ".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write('{');
                for (int i = 0; i < 1024; i++) {
                    out.write(chunk);
                    hugeBytesSent.addAndGet(chunk.length);
                }
            } catch (IOException e) {
                // The service hung up.
            }
        });
        http.createContext("/failing/fhir", exchange -> {
            byte[] body = ("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"diagnostics\":\"" + INTERNAL_DETAIL + "\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(502, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.setExecutor(Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "fake-fhir");
            thread.setDaemon(true);
            return thread;
        }));
        http.start();
        recorder = new ServerSocket(0, 16, InetAddress.getByName("127.0.0.1"));
        Thread accepter = new Thread(() -> {
            while (!recorder.isClosed()) {
                try (Socket ignored = recorder.accept()) {
                    connections.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        }, "connection-recorder");
        accepter.setDaemon(true);
        accepter.start();
    }

    /** A base on the HTTP server: {@code slow}, {@code huge} or {@code failing}. */
    String base(String kind) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/" + kind + "/fhir";
    }

    int recorderPort() {
        return recorder.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        http.stop(0);
        recorder.close();
    }
}
