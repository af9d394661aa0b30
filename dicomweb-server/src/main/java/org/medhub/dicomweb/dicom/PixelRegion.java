package org.medhub.dicomweb.dicom;

/** A rectangle of an image in pixels, origin at the top left corner: what a pixel rule blanks. */
public record PixelRegion(int x, int y, int width, int height) {

    public PixelRegion {
        if (x < 0 || y < 0 || width < 1 || height < 1) {
            throw new IllegalArgumentException("region " + x + "," + y + " " + width + "x" + height + " is not a rectangle on the image");
        }
    }
}
