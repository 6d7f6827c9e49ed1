package io.jnatsd.nkeys;

/**
 * CRC-16/XMODEM (polynomial 0x1021, initial value 0, no reflection, no final xor), the checksum nkeys appends to
 * every encoded key (nkeys {@code crc16.go}).
 *
 * <p>Stateless and thread-safe.
 */
final class Crc16 {
    private static final int POLYNOMIAL = 0x1021;
    private static final int[] TABLE = buildTable();

    private Crc16() {
    }

    /** The checksum of {@code length} bytes of {@code data} from {@code offset}. */
    static int compute(byte[] data, int offset, int length) {
        int crc = 0;
        for (int i = offset; i < offset + length; i++) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ data[i]) & 0xff]) & 0xffff;
        }
        return crc;
    }

    private static int[] buildTable() {
        int[] table = new int[256];
        for (int i = 0; i < table.length; i++) {
            int crc = i << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ POLYNOMIAL : crc << 1;
            }
            table[i] = crc & 0xffff;
        }
        return table;
    }
}
