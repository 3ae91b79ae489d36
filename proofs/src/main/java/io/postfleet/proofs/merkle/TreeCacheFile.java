package io.postfleet.proofs.merkle;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One base tree's {@code sc-02-data-tree-r-last[-k].dat}: upstream's LevelCacheStore data file, holding only the rows
 * from {@link TreeShape#firstCachedRow()} up to the root, each row left to right. Its size must be exact, as upstream
 * refuses to open it otherwise.
 */
public final class TreeCacheFile implements AutoCloseable {

    private final Path path;
    private final TreeShape shape;
    private final FileChannel channel;

    private TreeCacheFile(Path path, TreeShape shape, FileChannel channel) {
        this.path = path;
        this.shape = shape;
        this.channel = channel;
    }

    /**
     * Opens the file and checks its size against the shape.
     *
     * @throws IOException naming the file when it is missing or its size is not the expected one
     */
    public static TreeCacheFile open(Path path, TreeShape shape) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "tree file missing");
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        long size = ch.size();
        if (size != shape.cacheFileBytes()) {
            ch.close();
            throw new IOException("tree file " + path + " has " + size + " bytes, expected " + shape.cacheFileBytes()
                    + " (" + shape.cacheElements() + " nodes, rows_to_discard " + shape.rowsToDiscard()
                    + "); it is truncated or was built with another rows_to_discard");
        }
        return new TreeCacheFile(path, shape, ch);
    }

    public Path path() {
        return path;
    }

    /** The base tree's root: the last node of the file. */
    public byte[] root() throws IOException {
        return read(shape.cacheElements() - 1, 1);
    }

    /** The {@code count} nodes of {@code row} starting at {@code column}. */
    public byte[] readRow(int row, long column, int count) throws IOException {
        return read(shape.cacheRowOffset(row) + column, count);
    }

    private byte[] read(long element, int count) throws IOException {
        byte[] out = new byte[count * Node.SIZE];
        readFully(channel, element * Node.SIZE, out, path);
        return out;
    }

    static void readFully(FileChannel ch, long pos, byte[] out, Path path) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(out);
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                throw new EOFException(path + " ends at " + (pos + buf.position()) + " bytes, before "
                        + (pos + out.length));
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
