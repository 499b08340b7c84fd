package io.cnnscript.api;

import io.cnnscript.error.CnnException;
import java.util.List;

/**
 * A Java function that scripts call by name, made with {@link CnnEngine#define}.
 *
 * <p>Arguments arrive converted as {@link CnnEngine#get} converts values (integers as Long,
 * floats as Double, lists as List), except that tensors are copies that live only during the
 * call: read them or compute with them, but do not keep them. The result is converted as
 * {@link CnnEngine#set} converts values; a tensor result made from an argument costs no copy.
 * Throw {@link CnnException} to report an error to the script at the line that called it.
 */
@FunctionalInterface
public interface HostFunction {
    Object apply(List<Object> args);
}
