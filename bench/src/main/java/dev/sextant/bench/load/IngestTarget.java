package dev.sextant.bench.load;

/** Where the load goes: encodes a batch for its wire format and sends it, waiting for the ack. */
interface IngestTarget extends AutoCloseable {
  String name();

  /** Encodes on the client thread, outside the measured acknowledgement latency. */
  Object encode(SpanBatch batch);

  /**
   * Sends and blocks until the server acknowledges. Returns the number of spans the server
   * rejected (partial success); throws when the whole request was refused or failed.
   */
  long send(Object payload) throws Exception;

  @Override
  void close();
}
