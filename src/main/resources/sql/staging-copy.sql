COPY incoming_warehouses (id, name, line1, line2, site, city, state, zip_code, country, fax, phone,
                          tenant_id, active, priority, raw, digest) FROM STDIN
