package io.toggles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SettingValueTest {

  @Test
  void everyTypeRoundTripsThroughItsText() {
    List<SettingValue> values =
        List.of(
            SettingValue.of(true),
            SettingValue.of(false),
            SettingValue.of("adyen"),
            SettingValue.of(""),
            SettingValue.of(" spaced text "),
            SettingValue.of("ünïcødé ✓"),
            SettingValue.of(0L),
            SettingValue.of(Long.MIN_VALUE),
            SettingValue.of(Long.MAX_VALUE),
            SettingValue.of(new BigDecimal("0.015")),
            SettingValue.of(new BigDecimal("-12345678901234567890.123456789")),
            SettingValue.of(new BigDecimal("1E+3")),
            SettingValue.of(BigDecimal.ZERO),
            SettingValue.json("{\"a\":[1,2,{\"b\":null}],\"c\":\"x\"}"),
            SettingValue.json("[]"),
            SettingValue.json("42"),
            SettingValue.json("\"text\""));
    for (SettingValue v : values) {
      SettingValue parsed = v.type().parse(v.text());
      assertThat(parsed).as(v.toString()).isEqualTo(v);
      assertThat(parsed.type()).isEqualTo(v.type());
      assertThat(parsed.text()).isEqualTo(v.text());
    }
  }

  @Test
  void booleansAcceptTrueFalseOnOffInAnyCase() {
    for (String on : List.of("true", "TRUE", "on", "On", " true ")) {
      assertThat(SettingType.BOOLEAN.parse(on)).as(on).isEqualTo(SettingValue.of(true));
    }
    for (String off : List.of("false", "False", "off", "OFF")) {
      assertThat(SettingType.BOOLEAN.parse(off)).as(off).isEqualTo(SettingValue.of(false));
    }
    assertThat(SettingType.BOOLEAN.parse("on").text()).isEqualTo("true");
  }

  @ParameterizedTest
  @ValueSource(strings = {"yes", "1", "", "tru", "enabled"})
  void badBooleanTextIsRefusedNamingTheType(String text) {
    assertThatThrownBy(() -> SettingType.BOOLEAN.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a boolean")
        .hasMessageContaining("'" + text + "'");
  }

  @Test
  void badLongTextIsRefusedNamingTheType() {
    for (String text : List.of("1.5", "abc", "", "9223372036854775808")) {
      assertThatThrownBy(() -> SettingType.LONG.parse(text))
          .as(text)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a long integer");
    }
  }

  @Test
  void badDecimalTextIsRefusedNamingTheType() {
    for (String text : List.of("1,5", "abc", "", "1.2.3")) {
      assertThatThrownBy(() -> SettingType.DECIMAL.parse(text))
          .as(text)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not a decimal");
    }
    assertThatThrownBy(() -> SettingType.DECIMAL.parse("1" + "0".repeat(100)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("decimal is longer than 100 characters");
  }

  @Test
  void malformedJsonIsRefused() {
    for (String text : List.of("{", "{\"a\":}", "[1,2", "nope", "{'a':1}")) {
      assertThatThrownBy(() -> SettingType.JSON.parse(text))
          .as(text)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("JSON");
    }
  }

  @Test
  void jsonWithTrailingTextIsRefused() {
    assertThatThrownBy(() -> SettingValue.json("{\"a\":1} {\"b\":2}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JSON value has text after the document");
    assertThatThrownBy(() -> SettingValue.json("[1] x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JSON");
  }

  @Test
  void emptyJsonIsRefused() {
    for (String text : List.of("", "   ", "\n")) {
      assertThatThrownBy(() -> SettingValue.json(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("JSON value is empty");
    }
  }

  @Test
  void decimalsAreEqualWhenNumericallyEqual() {
    assertThat(SettingValue.of(new BigDecimal("1.50")))
        .isEqualTo(SettingValue.of(new BigDecimal("1.5")));
    assertThat(SettingType.DECIMAL.parse("1.50")).isEqualTo(SettingType.DECIMAL.parse("1.5"));
    assertThat(SettingType.DECIMAL.parse("1.50").hashCode())
        .isEqualTo(SettingType.DECIMAL.parse("1.5").hashCode());
    assertThat(SettingType.DECIMAL.parse("1.50").text()).isEqualTo("1.5");
    assertThat(SettingType.DECIMAL.parse("0.000")).isEqualTo(SettingType.DECIMAL.parse("0"));
    assertThat(SettingType.DECIMAL.parse("100").text()).isEqualTo("100");
    assertThat(SettingType.DECIMAL.parse("1.5")).isNotEqualTo(SettingType.DECIMAL.parse("1.51"));
  }

  @Test
  void stringAndJsonAreLimitedInLength() {
    String max = "x".repeat(SettingValue.MAX_TEXT_LENGTH);
    assertThat(SettingValue.of(max).text()).hasSize(SettingValue.MAX_TEXT_LENGTH);
    assertThatThrownBy(() -> SettingValue.of(max + "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("string value is 65537 characters; the limit is 65536");
    String json = "\"" + "x".repeat(SettingValue.MAX_TEXT_LENGTH - 2) + "\"";
    assertThat(SettingValue.json(json).text()).hasSize(SettingValue.MAX_TEXT_LENGTH);
    assertThatThrownBy(
            () -> SettingValue.json("\"" + "x".repeat(SettingValue.MAX_TEXT_LENGTH) + "\""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JSON value is 65538 characters; the limit is 65536");
  }

  @Test
  void typesAreNamedCaseInsensitively() {
    assertThat(SettingType.named("Decimal")).isEqualTo(SettingType.DECIMAL);
    assertThat(SettingType.named("json")).isEqualTo(SettingType.JSON);
    assertThatThrownBy(() -> SettingType.named("int"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown setting type 'int'")
        .hasMessageContaining("boolean, string, long, decimal, json");
  }

  @Test
  void valuesOfDifferentTypesWithTheSameTextDiffer() {
    assertThat(SettingType.STRING.parse("true")).isNotEqualTo(SettingType.BOOLEAN.parse("true"));
    assertThat(SettingType.STRING.parse("1")).isNotEqualTo(SettingType.LONG.parse("1"));
    assertThat(SettingType.JSON.parse("1")).isNotEqualTo(SettingType.LONG.parse("1"));
  }
}
