package io.ruqi.testing;

import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** What the console's browser tests do to a page, the same way in each. */
public final class ConsoleActions {
  private ConsoleActions() {
  }

  /** Waits until the element can be clicked, then clicks it (found again if a redraw replaced it). */
  public static void click(WebDriverWait wait, By by) {
    wait.until(ExpectedConditions.elementToBeClickable(by));
    clickRetrying(wait, by);
  }

  /** Live updates redraw the tables; a button found just before a redraw is stale: find it again. */
  public static void clickRetrying(WebDriverWait wait, By by) {
    wait.until(d -> {
      try {
        d.findElement(by).click();
        return true;
      } catch (StaleElementReferenceException | ElementClickInterceptedException e) {
        return false;
      }
    });
  }

  /** Replaces the field's text with {@code value}, as a user selecting all and typing would. */
  public static void type(WebDriver driver, By by, String value) {
    WebElement el = driver.findElement(by);
    el.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
    if (!value.isEmpty()) {
      el.sendKeys(value);
    }
  }
}
