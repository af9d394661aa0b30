package org.medhub.dicomweb.stow;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * A stream that refuses to deliver more than {@code max} bytes: reading the byte after them throws
 * the limit's exception, so that an oversized request or part is stopped while it is read, not after
 * it was written to disk whole. Once over, every later read throws again: a reader that caught the
 * first exception (a parser wrapping whatever its source throws) cannot read on past the limit, and
 * whoever drains the stream afterwards meets the limit itself.
 */
final class BoundedInputStream extends FilterInputStream {

    private final long max;
    private final Supplier<? extends RuntimeException> overLimit;
    private long count;

    BoundedInputStream(InputStream in, long max, Supplier<? extends RuntimeException> overLimit) {
        super(in);
        this.max = max;
        this.overLimit = overLimit;
    }

    /** Bytes delivered so far. */
    long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        refuseIfOver();
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        refuseIfOver();
        // One byte more than allowed is asked for, so that exactly max bytes pass and max + 1 fail.
        int n = super.read(target, offset, (int) Math.min(length, max - count + 1));
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        refuseIfOver();
        long skipped = super.skip(Math.min(n, max - count + 1));
        counted(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void refuseIfOver() {
        if (count > max) {
            throw overLimit.get();
        }
    }

    private void counted(long n) {
        count += n;
        if (count > max) {
            throw overLimit.get();
        }
    }
}
