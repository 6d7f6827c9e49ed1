package io.jnatsd.server.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Holds a client's first bytes until {@link ClientTlsNegotiator} has decided between TLS and plaintext, then leaves
 * the pipeline: replaced by the {@code SslHandler} or simply removed; either way the held bytes are passed to the
 * handler that takes its place, untouched (Netty's {@code ByteToMessageDecoder} forwards its cumulation on removal).
 * <p>
 * One instance per channel, on its event loop.
 */
final class TlsSniffer extends ByteToMessageDecoder {

    private final ClientTlsNegotiator negotiator;

    TlsSniffer(ClientTlsNegotiator negotiator) {
        this.negotiator = negotiator;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.isReadable()) {
            negotiator.onFirstBytes(ctx, in.getByte(in.readerIndex()));
        }
    }
}
