package org.medhub.dicomweb.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@link DicomStorage} on a local directory: {@code objects/ab/cd/<sha256>.dcm} for committed
 * objects, {@code tmp/} for uploads in progress (same file system, so commit is a rename).
 *
 * <p>Commit is crash-safe: the temporary file is fsynced, renamed atomically into place, and the
 * directory fsynced, so after a crash a key either holds the complete object or does not exist.
 */
public final class FileSystemStorage implements DicomStorage {

    private static final Pattern KEY = Pattern.compile("[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}\\.dcm");

    private final Path objects;
    private final Path tmp;

    public FileSystemStorage(Path root) {
        this.objects = root.resolve("objects");
        this.tmp = root.resolve("tmp");
        try {
            Files.createDirectories(objects);
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("medhub.dicomweb.storage-directory: cannot create " + root, e);
        }
        clearTemporaryFiles();
    }

    /** Uploads interrupted by a stop or crash; no one will commit them. */
    private void clearTemporaryFiles() {
        try (Stream<Path> files = Files.list(tmp)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + tmp, e);
        }
    }

    @Override
    public long usableSpace() throws IOException {
        return Files.getFileStore(tmp).getUsableSpace();
    }

    @Override
    public Staged stage(InputStream content) throws IOException {
        Path file = Files.createTempFile(tmp, "upload-", ".part");
        MessageDigest digest = sha256();
        long size;
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), digest)) {
            size = content.transferTo(out);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return new Staged(file, HexFormat.of().formatHex(digest.digest()), size);
    }

    @Override
    public String commit(Staged staged) throws IOException {
        String hash = staged.sha256();
        String key = hash.substring(0, 2) + "/" + hash.substring(2, 4) + "/" + hash + ".dcm";
        Path target = objects.resolve(key);
        if (Files.exists(target)) {
            return key; // the same bytes are stored already
        }
        Files.createDirectories(target.getParent());
        try (FileChannel channel = FileChannel.open(staged.file(), StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            Files.move(staged.file(), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the storage directory must allow atomic renames from tmp/ to objects/", e);
        } catch (FileAlreadyExistsException e) {
            return key; // a concurrent upload of the same bytes won
        }
        syncDirectory(target.getParent());
        return key;
    }

    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open directories; the rename is still atomic there.
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        return Files.newInputStream(file(key));
    }

    @Override
    public Path file(String key) throws IOException {
        if (!KEY.matcher(key).matches()) {
            throw new NoSuchFileException("not a storage key: " + key);
        }
        return objects.resolve(key);
    }

    @Override
    public long size(String key) throws IOException {
        return Files.size(file(key));
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(file(key));
    }

    @Override
    public Set<String> keys() throws IOException {
        Set<String> keys = new HashSet<>();
        try (Stream<Path> files = Files.walk(objects)) {
            files.filter(Files::isRegularFile).forEach(file -> {
                String key = objects.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                if (KEY.matcher(key).matches()) {
                    keys.add(key);
                }
            });
        }
        return keys;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
