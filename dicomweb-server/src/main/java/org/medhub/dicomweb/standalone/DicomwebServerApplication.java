package org.medhub.dicomweb.standalone;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Runs the DICOMweb server on its own, for deployments that scale it apart from the other modules. */
@SpringBootApplication
public class DicomwebServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(DicomwebServerApplication.class, args);
    }
}
