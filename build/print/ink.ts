// Total ink: the four plates of a CMYK pixel summed, the figure a press's ink limit (240 % on newsprint) caps.
// The press stage checks its separated photos with it and `check --pdfx` measures CMYK photos it is given.

/** The highest total ink of 8-bit CMYK pixels (4 bytes each, 255 = full ink), in per cent. */
export function highestInk(pixels: Uint8Array): number {
  let highest = 0;
  for (let index = 0; index < pixels.length; index += 4) {
    const sum = pixels[index] + pixels[index + 1] + pixels[index + 2] + pixels[index + 3];
    if (sum > highest) highest = sum;
  }
  return (highest / 255) * 100;
}
