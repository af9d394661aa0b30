package org.medhub.viewer.standalone;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;

/**
 * The viewer on its own, e.g. on a separate host in front of a DICOMweb service elsewhere. It keeps
 * no data: no application DataSource (the platform's audit trail still opens its own).
 */
@SpringBootApplication(exclude = DataSourceAutoConfiguration.class)
public class ViewerApplication {

    public static void main(String[] args) {
        SpringApplication.run(ViewerApplication.class, args);
    }
}
