package io.cnnscript.nn;

/**
 * A data set could not be read: a file is missing, truncated or not in the expected format.
 * The message always names the file and says what is wrong with it.
 */
public class DatasetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
