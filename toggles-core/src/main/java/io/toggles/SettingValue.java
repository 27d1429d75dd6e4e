package io.toggles;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Locale;

/**
 * A typed setting value. Values are data: parsed by {@link SettingType}, never instantiated from
 * class names. Immutable and thread-safe.
 */
public sealed interface SettingValue {

  /** The longest text of a string or JSON value, in characters. */
  int MAX_TEXT_LENGTH = 65_536;

  /** The type of this value. */
  SettingType type();

  /** The canonical text of this value, as stored and as {@link SettingType#parse} reads it. */
  String text();

  /** The boolean value {@code value}; the two instances are shared. */
  static SettingValue of(boolean value) {
    return value ? BooleanValue.TRUE : BooleanValue.FALSE;
  }

  /** A string value. */
  static SettingValue of(String value) {
    return new StringValue(value);
  }

  /** A long value. */
  static SettingValue of(long value) {
    return new LongValue(value);
  }

  /** A decimal value. */
  static SettingValue of(BigDecimal value) {
    return new DecimalValue(value);
  }

  /**
   * A JSON value.
   *
   * @throws IllegalArgumentException if {@code json} is not one well-formed JSON document
   */
  static SettingValue json(String json) {
    return new JsonValue(json);
  }

  /**
   * Parses text into a value of a type.
   *
   * @throws IllegalArgumentException naming the type and what is wrong with the text
   */
  static SettingValue parse(SettingType type, String text) {
    switch (type) {
      case BOOLEAN:
        switch (text.trim().toLowerCase(Locale.ROOT)) {
          case "true":
          case "on":
            return BooleanValue.TRUE;
          case "false":
          case "off":
            return BooleanValue.FALSE;
          default:
            throw new IllegalArgumentException(
                "not a boolean: " + Texts.quote(text) + " (expected true/false or on/off)");
        }
      case STRING:
        return new StringValue(text);
      case LONG:
        try {
          return new LongValue(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not a long integer: " + Texts.quote(text), e);
        }
      case DECIMAL:
        String t = text.trim();
        if (t.length() > 100) {
          throw new IllegalArgumentException("decimal is longer than 100 characters");
        }
        try {
          return new DecimalValue(new BigDecimal(t));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not a decimal: " + Texts.quote(text), e);
        }
      case JSON:
        return new JsonValue(text);
    }
    throw new AssertionError(type);
  }

  /** A boolean value. */
  enum BooleanValue implements SettingValue {
    /** On. */
    TRUE,
    /** Off. */
    FALSE;

    /** The boolean. */
    public boolean value() {
      return this == TRUE;
    }

    @Override
    public SettingType type() {
      return SettingType.BOOLEAN;
    }

    @Override
    public String text() {
      return this == TRUE ? "true" : "false";
    }

    @Override
    public String toString() {
      return text();
    }
  }

  /**
   * A string value.
   *
   * @param value the text, at most {@link #MAX_TEXT_LENGTH} characters
   */
  record StringValue(String value) implements SettingValue {
    /** Validates the length. */
    public StringValue {
      if (value.length() > MAX_TEXT_LENGTH) {
        throw new IllegalArgumentException(
            "string value is " + value.length() + " characters; the limit is " + MAX_TEXT_LENGTH);
      }
    }

    @Override
    public SettingType type() {
      return SettingType.STRING;
    }

    @Override
    public String text() {
      return value;
    }

    @Override
    public String toString() {
      return Texts.quote(value);
    }
  }

  /**
   * A long value.
   *
   * @param value the number
   */
  record LongValue(long value) implements SettingValue {
    @Override
    public SettingType type() {
      return SettingType.LONG;
    }

    @Override
    public String text() {
      return Long.toString(value);
    }

    @Override
    public String toString() {
      return text();
    }
  }

  /**
   * A decimal value; equal when numerically equal ({@code 1.50} equals {@code 1.5}).
   *
   * @param value the number, stripped of trailing zeros
   */
  record DecimalValue(BigDecimal value) implements SettingValue {
    /** Normalises the scale so that equal numbers are equal values; limits the size. */
    public DecimalValue {
      if (value.precision() > 100 || Math.abs((long) value.scale()) > 1000) {
        throw new IllegalArgumentException(
            "decimal has more than 100 digits or an exponent beyond 1000: refused");
      }
      value = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    }

    @Override
    public SettingType type() {
      return SettingType.DECIMAL;
    }

    @Override
    public String text() {
      return value.toPlainString();
    }

    @Override
    public String toString() {
      return text();
    }
  }

  /**
   * A JSON value, checked to be exactly one well-formed JSON document.
   *
   * @param json the document's text
   */
  record JsonValue(String json) implements SettingValue {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** Validates the document. */
    public JsonValue {
      if (json.length() > MAX_TEXT_LENGTH) {
        throw new IllegalArgumentException(
            "JSON value is " + json.length() + " characters; the limit is " + MAX_TEXT_LENGTH);
      }
      try (JsonParser p = FACTORY.createParser(json)) {
        if (p.nextToken() == null) {
          throw new IllegalArgumentException("JSON value is empty");
        }
        p.skipChildren(); // tokenizes, and so validates, the whole nested document
        if (p.nextToken() != null) {
          throw new IllegalArgumentException("JSON value has text after the document");
        }
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
      } catch (IOException e) {
        throw new IllegalArgumentException("not valid JSON: " + e.getMessage(), e);
      }
    }

    @Override
    public SettingType type() {
      return SettingType.JSON;
    }

    @Override
    public String text() {
      return json;
    }

    @Override
    public String toString() {
      return json;
    }
  }
}
