package io.cnnscript.value;

/**
 * What a built-in returns when its result holds a tensor it did not make and was not given: a
 * layer's parameter, an optimizer's state, a tensor some other structure keeps. The call path
 * ({@link Runtime#adopt}) unwraps it and leaves the value to its holder; any other result is
 * new, and the running statement owns it (frees it when it ends, unless it is stored). A
 * tensor the call was given and returns unchanged needs no wrapper: the call path sees that it
 * is one of the arguments. A Borrowed never reaches a script.
 */
public record Borrowed(Object value) {}
