package io.ruqi.store;

/** A chunked delete whose later chunk failed: {@code deleted} rows were removed (and committed) before it did. */
public final class PartialDelete extends RuntimeException {
  private final long deleted;

  PartialDelete(long deleted, Throwable cause) {
    super(deleted + " rows were deleted before the store failed: " + cause.getMessage(), cause);
    this.deleted = deleted;
  }

  public long deleted() {
    return deleted;
  }
}
