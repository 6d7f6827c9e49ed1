package io.jnatsd.server.account;

/** An account JWT could not be found or validated; the message is nats-server's error text. */
public final class AccountLookupException extends Exception {
    private static final long serialVersionUID = 1L;

    public AccountLookupException(String message) {
        super(message);
    }
}
